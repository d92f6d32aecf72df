/**
 * Child process for the kill -9 test: commits engine state and its decision
 * in a loop through the engine port, printing each committed n, until killed.
 */
import { Store } from '../../../src/main/store/store';
import { engineStoreOf } from '../../../src/main/store/engine-store';

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: commit-loop <db file>');
  const store = Store.open({ path: file });
  const port = engineStoreOf(store);
  let n = 0;
  const step = (): void => {
    n += 1;
    port.commit({ n }, [{ t: Date.now(), kind: 'state', reason: `step ${n}`, details: { n } }]);
    port.appendTrust({ t: Date.now(), trust: n % 100 });
    process.stdout.write(`${n}\n`);
    setImmediate(step);
  };
  step();
}
