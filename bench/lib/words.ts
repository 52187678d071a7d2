// Words that RVOS expressions are made of, for the benchmarks' synthetic expressions (their frequencies do not matter).
export const EXPRESSION_WORDS =
  'the a red white black dog cat person man woman on left right car bike holding running next to small big skateboard horse in front'.split(
    ' ',
  );
