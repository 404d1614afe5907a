import type { PlanView } from '../../../../src-shared/plan';
import { formatBytes } from '../../format';
import type { StrategyName } from '../../../../src-shared/strategies';

/**
 * Every strategy for the current recipe side by side: how many layers the image
 * gets (the links layer included, as Build counts), what a build would write,
 * and how much it would share with the images already in the store.
 */
export function StrategyTable({ plan, onUse }: { plan: PlanView; onUse: (strategy: StrategyName) => void }) {
  return (
    <table className="strategy-table">
      <thead>
        <tr>
          <th scope="col">Strategy</th>
          <th scope="col">Layers</th>
          <th scope="col">A build writes</th>
          <th scope="col">Shared with your other images</th>
          <th scope="col">Largest layer</th>
          <th scope="col">
            <span className="visually-hidden">Choose</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {plan.strategies.map((s) => (
          <tr key={s.strategy} aria-current={s.strategy === plan.strategy ? 'true' : undefined}>
            <th scope="row">{s.strategy}</th>
            {s.error ? (
              <td colSpan={4} className="error">
                {s.error}
              </td>
            ) : (
              <>
                <td>{s.layers + 1}</td>
                <td>{formatBytes(s.newBytes)}</td>
                <td>{formatBytes(s.sharedBytes)}</td>
                <td>{formatBytes(s.largestLayer)}</td>
              </>
            )}
            <td>
              {s.strategy === plan.strategy ? (
                <span className="muted">chosen</span>
              ) : (
                <button type="button" onClick={() => onUse(s.strategy)} aria-label={`Use ${s.strategy}`}>
                  Use
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
