/**
 * A child process of the batch's fit pool: fits the files it is sent, one at a time, and reports
 * progress, log lines and the outcome back over IPC. It exits when the batch goes away.
 */
import { defaultDeps } from '../cli/deps.js';
import { describeError } from '../cli/errors.js';
import { fitFile } from './fit-file.js';
import type { ChildMessage, ParentMessage } from './fit-pool.js';

const send = (m: ChildMessage) => process.send?.(m);
let controller: AbortController | undefined;

process.on('disconnect', () => process.exit(0));
process.on('message', (m: ParentMessage) => {
  if (m.type === 'abort') controller?.abort();
  if (m.type !== 'fit') return;
  controller = new AbortController();
  fitFile(m.req, m.file, defaultDeps(), {
    signal: controller.signal,
    onFraction: (fraction) => send({ type: 'fraction', fraction }),
    onLog: (message) => send({ type: 'log', message }),
  }).then(
    (event) => send({ type: 'result', event }),
    (e: unknown) => {
      const d = describeError(e);
      send({ type: 'error', message: d.message, code: d.code, exitCode: d.exitCode });
    },
  );
});
send({ type: 'ready' });
