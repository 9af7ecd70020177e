/* Test driver for plugin/thumb-classify.c: reads one instruction per line as its halfwords in hex
 * ("f8d3 3004" or "b508"), prints "<class> <registers moved>" per line. */
#include <stdio.h>
#include <stdlib.h>

#include "../plugin/thumb-classify.h"

int main(void) {
  char line[128];
  while (fgets(line, sizeof line, stdin)) {
    unsigned hw1 = 0, hw2 = 0;
    int n = sscanf(line, "%x %x", &hw1, &hw2);
    if (n < 1) {
      puts("? 0");
      continue;
    }
    struct thumb_insn insn;
    thumb_classify((unsigned short)hw1, (unsigned short)hw2, &insn);
    printf("%s %u %u\n", thumb_class_names[insn.cls], (unsigned)insn.regs, (unsigned)insn.size);
  }
  return 0;
}
