/** `letterapp import`'s progress on stderr: a bar redrawn in place on a terminal, plain periodic lines otherwise. */

/** What the import has done so far. */
export interface ImportCounts {
  readonly linesRead: number;
  readonly delivered: number;
  readonly failed: number;
  readonly skipped: number;
  readonly bytesRead: number;
  /** The input's size in bytes, when known (a regular file); undefined for a pipe. */
  readonly totalBytes: number | undefined;
}

/** How often the bar on a terminal is redrawn. */
const TERMINAL_REDRAW_MS = 200;
const BAR_WIDTH = 24;

/** A stream to report on: a terminal gets the bar. */
interface Output {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** Reports progress until {@link Progress.stop}; its timer never keeps the process alive. */
export class Progress {
  readonly #output: Output;
  readonly #read: () => ImportCounts;
  readonly #startedAtMs = performance.now();
  readonly #timer: ReturnType<typeof setInterval>;
  /** Something is drawn on the terminal's last line, to be cleared before other output. */
  #drawn = false;

  /** `intervalMs` applies to plain lines; a terminal is redrawn every 200 ms. */
  constructor(output: Output, read: () => ImportCounts, intervalMs: number) {
    this.#output = output;
    this.#read = read;
    const tty = output.isTTY === true;
    this.#timer = setInterval(() => (tty ? this.#draw() : this.#line()), tty ? TERMINAL_REDRAW_MS : intervalMs);
    this.#timer.unref();
  }

  /** Writes `text` (whole lines) without tearing the bar: cleared first, redrawn on the next tick. */
  print(text: string): void {
    this.#clear();
    this.#output.write(text);
  }

  /** Stops reporting and clears the bar. */
  stop(): void {
    clearInterval(this.#timer);
    this.#clear();
  }

  #clear(): void {
    if (!this.#drawn) return;
    this.#output.write('\r\u001b[2K');
    this.#drawn = false;
  }

  #draw(): void {
    const counts = this.#read();
    const fraction = counts.totalBytes ? Math.min(1, counts.bytesRead / counts.totalBytes) : undefined;
    const bar = fraction === undefined ? '' : `[${'#'.repeat(Math.round(fraction * BAR_WIDTH)).padEnd(BAR_WIDTH, '.')}] ${Math.floor(fraction * 100)}% `;
    this.#output.write(`\r\u001b[2K${bar}${describeCounts(counts, this.#elapsedMs())}`);
    this.#drawn = true;
  }

  #line(): void {
    const counts = this.#read();
    const share = counts.totalBytes ? ` (${Math.floor((Math.min(1, counts.bytesRead / counts.totalBytes)) * 100)}% of the input)` : '';
    this.#output.write(`letterapp import: ${describeCounts(counts, this.#elapsedMs())}${share}\n`);
  }

  #elapsedMs(): number {
    return performance.now() - this.#startedAtMs;
  }
}

/** `450,000 lines read, 448,000 delivered, 12 failed, 3 skipped, 52,300 lines/s, ETA 11 s`. */
export function describeCounts(counts: ImportCounts, elapsedMs: number): string {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? counts.linesRead / seconds : 0;
  const parts = [`${count(counts.linesRead)} lines read`, `${count(counts.delivered)} delivered`, `${count(counts.failed)} failed`];
  if (counts.skipped > 0) parts.push(`${count(counts.skipped)} skipped`);
  parts.push(`${count(Math.round(rate))} lines/s`);
  if (counts.totalBytes && counts.bytesRead > 0 && counts.bytesRead < counts.totalBytes) {
    const remainingSeconds = ((counts.totalBytes - counts.bytesRead) / counts.bytesRead) * seconds;
    parts.push(`ETA ${duration(remainingSeconds)}`);
  }
  return parts.join(', ');
}

/** 1234567 → "1,234,567", the same whatever the locale. */
export function count(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 75 → "1 min 15 s". */
export function duration(seconds: number): string {
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${whole % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
