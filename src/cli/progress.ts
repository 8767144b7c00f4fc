// Progress on stderr, so stdout carries only results. On a terminal one line is rewritten in
// place; otherwise a line is printed when the stage changes and at most every few seconds.

export interface ProgressReporter {
  update(stage: string, done: number, total: number, unit?: string): void;
  note(message: string): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): ProgressReporter {
  const tty = stream.isTTY === true;
  const interval = tty ? 100 : 5000;
  let lastStage = '';
  let lastDone = -1;
  let lastAt = 0;
  let open = false;
  const start = Date.now();
  const seconds = () => ((Date.now() - start) / 1000).toFixed(1);
  const closeLine = () => {
    if (open) stream.write('\n');
    open = false;
  };
  return {
    update(stage, done, total, unit = 'images') {
      if (quiet) return;
      const now = Date.now();
      const finished = done >= total;
      // A count reported twice (the GPU scorer rounds its counts) prints once.
      if (stage === lastStage && (done === lastDone || (!finished && now - lastAt < interval))) return;
      if (stage !== lastStage) closeLine();
      lastStage = stage;
      lastDone = done;
      lastAt = now;
      const pct = total > 0 ? ` (${Math.floor((100 * done) / total)}%)` : '';
      const line = `[${seconds()}s] ${stage}: ${done}/${total} ${unit}${pct}`;
      if (tty) {
        stream.write(`\r\x1b[2K${line}`);
        open = true;
        if (finished) closeLine();
      } else {
        stream.write(`${line}\n`);
      }
    },
    note(message) {
      closeLine();
      stream.write(`${message}\n`);
    },
    done() {
      closeLine();
    },
  };
}
