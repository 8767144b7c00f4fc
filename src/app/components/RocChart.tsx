import type { RocCurve } from '../../engine/metrics/roc.ts';

const SIZE = 160;
const PAD = 24;

/** Image-level ROC curve as SVG, with the chance diagonal. */
export function RocChart({ roc, auroc }: { roc: RocCurve; auroc: string }) {
  const x = (f: number) => PAD + f * SIZE;
  const y = (t: number) => PAD + (1 - t) * SIZE;
  const points = roc.fpr.map((f, i) => `${x(f).toFixed(1)},${y(roc.tpr[i]).toFixed(1)}`).join(' ');
  return (
    <svg
      className="roc"
      viewBox={`0 0 ${SIZE + 2 * PAD} ${SIZE + 2 * PAD}`}
      role="img"
      aria-label={`Image-level ROC curve, AUROC ${auroc} %`}
      data-testid="roc"
    >
      <rect x={PAD} y={PAD} width={SIZE} height={SIZE} className="roc-frame" />
      {[0.25, 0.5, 0.75].map((g) => (
        <g key={g} className="roc-grid">
          <line x1={x(g)} y1={y(0)} x2={x(g)} y2={y(1)} />
          <line x1={x(0)} y1={y(g)} x2={x(1)} y2={y(g)} />
        </g>
      ))}
      <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} className="roc-chance" />
      <polyline points={points} className="roc-curve" />
      <text x={PAD + SIZE / 2} y={PAD + SIZE + 18} className="roc-label" textAnchor="middle">
        false positive rate
      </text>
      <text
        x={10}
        y={PAD + SIZE / 2}
        className="roc-label"
        textAnchor="middle"
        transform={`rotate(-90 10 ${PAD + SIZE / 2})`}
      >
        true positive rate
      </text>
    </svg>
  );
}
