/**
 * The page's fixed elements and their states: which sections show, which buttons work, the status
 * and error lines, the backend line, the download. Everything the app says goes through here.
 */
import { announce, byId } from './dom.js';
import type { BackendPick } from './protocol.js';

export class Ui {
  readonly planRoot = byId('plan');
  private readonly status = byId('status');
  private readonly backendLine = byId('backend');
  private readonly start = byId<HTMLButtonElement>('start');
  private readonly stop = byId<HTMLButtonElement>('stop');
  private readonly download = byId<HTMLButtonElement>('download');
  private readonly back = byId<HTMLButtonElement>('back');
  private startable = false;
  private running = false;

  /** A status line; errors are also announced assertively (role=alert). */
  say(text: string, error = false): void {
    this.status.textContent = text;
    this.status.classList.toggle('error', error);
    this.status.setAttribute('role', error ? 'alert' : 'status');
  }

  setPicture(has: boolean): void {
    for (const id of ['task-section', 'plan-section', 'run-section']) byId(id).hidden = !has;
  }

  setMaskEditing(on: boolean): void {
    byId('mask-section').hidden = !on;
    byId('mask').hidden = !on;
  }

  planProblem(message: string): void {
    this.planRoot.replaceChildren();
    const p = document.createElement('p');
    p.className = 'problem';
    p.textContent = message;
    this.planRoot.append(p);
    this.setStartable(false);
  }

  setStartable(ok: boolean): void {
    this.startable = ok;
    this.refresh();
  }

  setRunning(on: boolean): void {
    this.running = on;
    byId('progress-block').hidden = false;
    document.body.classList.toggle('running', on);
    this.refresh();
    (on ? this.stop : this.start).focus();
  }

  setResult(has: boolean): void {
    this.download.disabled = !has;
    this.back.hidden = !has;
    byId('mask').classList.toggle('dimmed', has);
  }

  previewShown(iteration: number, final = false): void {
    byId('preview-note').textContent = final ? `Showing the result (the estimate at iteration ${iteration})` : `Showing the estimate at iteration ${iteration}`;
  }

  /** Which backend runs, and why; a change from the plan (a fallback) is said out loud. */
  showBackend(pick: BackendPick, planned: BackendPick | undefined): void {
    const name = pick.backend === 'webgpu' ? 'WebGPU' : 'WebAssembly';
    this.backendLine.textContent = `Running on ${name}: ${pick.reason}`;
    if (planned && planned.backend !== pick.backend) announce(`Switched to ${name}: ${pick.reason}`);
  }

  offerDownload(blob: Blob, name: string): void {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
    this.say(`Saved ${name}.`);
  }

  private refresh(): void {
    this.start.disabled = this.running || !this.startable;
    this.stop.disabled = !this.running;
  }
}
