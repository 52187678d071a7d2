// The variant table as the Failures panel shows it: the rows of `rvos score --variants` for the listed run, with the
// benchmark whose official rule the first row is.

import { profileOf } from '../../core/benchmarks';
import { isRefDavis17 } from '../../core/benchmarks/subsets';
import type { VariantRow } from '../../core/benchmarks/variants/variants';
import type { Dataset } from '../../core/dataset';
import type { VariantsView } from '../../shared/failures/protocol';

export function variantsView(run: string, ds: Dataset, rows: readonly VariantRow[]): VariantsView {
  const profile = profileOf(ds);
  const benchmark = isRefDavis17(ds)
    ? 'Ref-DAVIS17 per expression (Ref-YouTube-VOS rules)'
    : `${profile.title} (${profile.officialScript})`;
  return {
    run,
    benchmark,
    rows: rows.map((r) => ({ ...r, delta: Number.isFinite(r.delta) ? r.delta : null })),
  };
}
