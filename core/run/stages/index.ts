import type { StageKind } from '../../graph/build.js';
import type { StageRunner } from '../stage-runner.js';
import { dataStage } from './data.js';
import { deployStage } from './deploy.js';
import { dspStage } from './dsp.js';
import { evaluateStage } from './evaluate.js';
import { inputStage } from './input.js';
import { learnStage } from './learn.js';
import { profileStage } from './profile.js';
import { quantizeStage } from './quantize.js';
import { reportStage } from './report.js';

export const stageRunners: Readonly<Record<StageKind, StageRunner>> = {
  data: dataStage,
  input: inputStage,
  dsp: dspStage,
  learn: learnStage,
  quantize: quantizeStage,
  evaluate: evaluateStage,
  profile: profileStage,
  deploy: deployStage,
  report: reportStage,
};
