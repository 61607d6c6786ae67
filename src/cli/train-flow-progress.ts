/** Progress of a flow training (the fitting commands' reporter: bar, step, loss, validation PSNR, ETA) and the command that continues it. */
import type { StepReport } from '../flow/train.js';
import type { FlowRun } from '../flow/training-run.js';
import { FLOW_OPTIONS } from '../options/flow-table.js';
import type { FlowSettings } from '../validate-flow.js';
import { CLI_OPTIONS } from './cli-options.js';
import type { CliDeps } from './deps.js';
import type { FlowRequest } from './flow-cli.js';
import type { ProgressReporter } from './progress.js';
import { commandLine, optionWords } from './resume.js';

/** The onStep hook: progress towards --until (or the end), the speed of this process's steps. */
export function flowProgress(run: FlowRun, s: Readonly<FlowSettings>, reporter: ProgressReporter): (r: StepReport, run: FlowRun) => void {
  const first = { step: run.state.step, seconds: run.state.seconds };
  const total = Math.min(run.settings.steps, s.until ?? Number.POSITIVE_INFINITY);
  return (report, current) => {
    const rate = (report.step - first.step) / Math.max(1e-9, report.seconds - first.seconds);
    const last = current.history.validation.at(-1);
    reporter.progress({
      iteration: report.step,
      total,
      loss: report.loss,
      psnr: last?.psnr,
      seconds: report.seconds,
      iterationsPerSecond: rate,
      etaSeconds: (total - report.step) / rate,
    });
  };
}

/** The same command with --resume: -o and --curve are that training's outputs, --until is dropped (give the next one). */
export function continueCommand(deps: Pick<CliDeps, 'invocation'>, r: FlowRequest): string {
  const words = optionWords(r.flags, [FLOW_OPTIONS, CLI_OPTIONS], ['resume', 'until', 'force']);
  return commandLine([...deps.invocation(), 'train-flow', ...words, '--resume']);
}
