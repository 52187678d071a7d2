// Minimum-cost rectangular assignment (the Hungarian problem), solved by shortest augmenting paths with dual
// variables (Jonker–Volgenant as described by Crouse, IEEE TAES 2016). The DAVIS 2017 unsupervised evaluation
// matches predicted to true objects with scipy's linear_sum_assignment, which uses that method; ties change which
// objects are paired, so this follows the same search order and tie rule to give the same pairs:
//   - the shorter side of the matrix is the one assigned row by row (a tall matrix is transposed);
//   - columns are scanned from the last to the first, and among columns of equal path cost a free one is preferred;
//   - pairs come back sorted by row of the original matrix.

/** One assigned (row, column) pair of the original matrix. */
export interface Assignment {
  row: number;
  col: number;
}

/** The assignment of min(rows, cols) pairs with the least total cost. `cost[i][j]` must be finite. */
export function linearSumAssignment(cost: readonly (readonly number[])[]): Assignment[] {
  const rows = cost.length;
  const cols = rows === 0 ? 0 : cost[0].length;
  if (rows === 0 || cols === 0) return [];
  for (const line of cost) {
    if (line.length !== cols) throw new Error('linearSumAssignment: ragged cost matrix');
    for (const c of line) if (!Number.isFinite(c)) throw new Error('linearSumAssignment: cost must be finite');
  }
  const transposed = cols < rows;
  const n = transposed ? cols : rows; // rows assigned one by one
  const m = transposed ? rows : cols;
  const at = transposed ? (i: number, j: number) => cost[j][i] : (i: number, j: number) => cost[i][j];
  const colOfRow = solveWide(n, m, at);
  const pairs = colOfRow.map((c, r) => (transposed ? { row: c, col: r } : { row: r, col: c }));
  return pairs.sort((a, b) => a.row - b.row);
}

/** Assigns each of n rows a distinct column of m ≥ n; returns the column of each row. */
function solveWide(n: number, m: number, at: (i: number, j: number) => number): number[] {
  const u = new Float64Array(n);
  const v = new Float64Array(m);
  const colOfRow = new Array<number>(n).fill(-1);
  const rowOfCol = new Array<number>(m).fill(-1);
  const pathRow = new Int32Array(m);
  const dist = new Float64Array(m);
  const rowSeen = new Uint8Array(n);
  const colSeen = new Uint8Array(m);
  const open = new Int32Array(m);

  for (let start = 0; start < n; start++) {
    rowSeen.fill(0);
    colSeen.fill(0);
    dist.fill(Infinity);
    let openCount = m;
    for (let k = 0; k < m; k++) open[k] = m - 1 - k; // last column first: a constant matrix gives the identity
    let reduced = 0;
    let row = start;
    let sink = -1;
    while (sink < 0) {
      rowSeen[row] = 1;
      let best = -1;
      let bestDist = Infinity;
      for (let k = 0; k < openCount; k++) {
        const j = open[k];
        const d = reduced + at(row, j) - u[row] - v[j];
        if (d < dist[j]) {
          dist[j] = d;
          pathRow[j] = row;
        }
        if (dist[j] < bestDist || (dist[j] === bestDist && rowOfCol[j] < 0)) {
          bestDist = dist[j];
          best = k;
        }
      }
      reduced = bestDist;
      const j = open[best];
      colSeen[j] = 1;
      open[best] = open[--openCount];
      if (rowOfCol[j] < 0) sink = j;
      else row = rowOfCol[j];
    }
    // Dual update keeps the reduced costs of the current matching non-negative.
    u[start] += reduced;
    for (let i = 0; i < n; i++) if (rowSeen[i] && i !== start) u[i] += reduced - dist[colOfRow[i]];
    for (let j = 0; j < m; j++) if (colSeen[j]) v[j] -= reduced - dist[j];
    // Flip the augmenting path.
    for (let j = sink; ;) {
      const i = pathRow[j];
      rowOfCol[j] = i;
      const previous = colOfRow[i];
      colOfRow[i] = j;
      if (i === start) break;
      j = previous;
    }
  }
  return colOfRow;
}
