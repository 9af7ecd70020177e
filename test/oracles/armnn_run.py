#!/usr/bin/python3
"""Run a .tflite model through ArmNN's CpuRef backend on many samples (test oracle; see armnn.ts).

usage: /usr/bin/python3 armnn_run.py MODEL.tflite WORKDIR

WORKDIR/request.json: {"samples": N, "inputs": [{"file": "in0.bin", "dtype": "int8"}, ...]}
  one raw little-endian file per model input (in the order of the subgraph's inputs), holding the
  N samples back to back.
Writes WORKDIR/out<k>.bin (N samples back to back per model output) and WORKDIR/response.json:
  {"inputs": [{"name", "shape", "dtype"}], "outputs": [{"name", "file", "shape", "dtype"}]}.
Any failure exits non-zero with the reason on stderr. ArmNN itself may abort the process (for
example on per-channel quantized FULLY_CONNECTED weights); the caller reports the signal.

Needs Debian python3-pyarmnn (20.08 era, ArmNN 22), libarmnntfliteparser22,
libarmnn-cpuref-backend22 and python3-numpy.
"""
import json
import logging
import os
import sys

logging.getLogger("pyarmnn").setLevel(logging.ERROR)  # it warns about every parser it was built without

import numpy as np  # noqa: E402
import pyarmnn as ann  # noqa: E402

DTYPES = {
    ann.DataType_QAsymmS8: "int8",
    ann.DataType_QSymmS8: "int8",
    ann.DataType_QAsymmU8: "uint8",
    ann.DataType_Boolean: "uint8",
    ann.DataType_QSymmS16: "int16",
    ann.DataType_Signed32: "int32",
    ann.DataType_Float32: "float32",
    ann.DataType_Float16: "float16",
}


def fail(msg):
    print(f"armnn_run: {msg}", file=sys.stderr)
    sys.exit(2)


def describe(name, info):
    s = info.GetShape()
    shape = [int(s[k]) for k in range(s.GetNumDimensions())]
    dtype = DTYPES.get(info.GetDataType())
    if dtype is None:
        fail(f"tensor {name}: unsupported ArmNN data type {info.GetDataType()}")
    return {"name": name, "shape": shape, "dtype": dtype}


def main():
    if len(sys.argv) != 3:
        fail("usage: armnn_run.py MODEL.tflite WORKDIR")
    model, work = sys.argv[1], sys.argv[2]
    with open(os.path.join(work, "request.json")) as f:
        req = json.load(f)
    n = int(req["samples"])

    parser = ann.ITfLiteParser()
    network = parser.CreateNetworkFromBinaryFile(model)
    if parser.GetSubgraphCount() != 1:
        fail(f"{parser.GetSubgraphCount()} subgraphs; only single-subgraph models are supported")
    in_names = parser.GetSubgraphInputTensorNames(0)
    out_names = parser.GetSubgraphOutputTensorNames(0)
    in_bind = [parser.GetNetworkInputBindingInfo(0, name) for name in in_names]
    out_bind = [parser.GetNetworkOutputBindingInfo(0, name) for name in out_names]

    runtime = ann.IRuntime(ann.CreationOptions())
    optimized, messages = ann.Optimize(network, [ann.BackendId("CpuRef")], runtime.GetDeviceSpec(), ann.OptimizerOptions())
    for m in messages:
        print(f"armnn_run: optimizer: {m}", file=sys.stderr)
    net_id, load_msg = runtime.LoadNetwork(optimized)
    if load_msg:
        print(f"armnn_run: LoadNetwork: {load_msg}", file=sys.stderr)

    ins = [describe(name, b[1]) for name, b in zip(in_names, in_bind)]
    outs = [describe(name, b[1]) for name, b in zip(out_names, out_bind)]
    if len(req["inputs"]) != len(ins):
        fail(f"the model has {len(ins)} inputs ({', '.join(in_names)}), got {len(req['inputs'])}")

    data = []
    for k, (spec, desc) in enumerate(zip(req["inputs"], ins)):
        if spec["dtype"] != desc["dtype"]:
            fail(f"input {k} ({desc['name']}): the model wants {desc['dtype']}, got {spec['dtype']}")
        raw = np.fromfile(os.path.join(work, spec["file"]), dtype=np.dtype(spec["dtype"]))
        per = int(np.prod(desc["shape"], dtype=np.int64))
        if raw.size != n * per:
            fail(f"input {k} ({desc['name']}, shape {desc['shape']}): {raw.size} values for {n} samples of {per}")
        data.append(raw.reshape([n] + desc["shape"]))

    results = [np.empty([n] + d["shape"], dtype=np.dtype(d["dtype"])) for d in outs]
    for i in range(n):
        input_tensors = ann.make_input_tensors(in_bind, [np.ascontiguousarray(x[i]) for x in data])
        output_tensors = ann.make_output_tensors(out_bind)
        runtime.EnqueueWorkload(net_id, input_tensors, output_tensors)
        for r, y in zip(results, ann.workload_tensors_to_ndarray(output_tensors)):
            r[i] = y.reshape(r.shape[1:])

    for k, (r, d) in enumerate(zip(results, outs)):
        d["file"] = f"out{k}.bin"
        r.astype(r.dtype.newbyteorder("<"), copy=False).tofile(os.path.join(work, d["file"]))
    with open(os.path.join(work, "response.json"), "w") as f:
        json.dump({"inputs": ins, "outputs": outs}, f)


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as e:  # ArmNN's refusals arrive as RuntimeError with its message
        fail(f"{type(e).__name__}: {e}")
