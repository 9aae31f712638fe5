// The demo's voice: one line per step with its duration, indented details, and a transcript
// kept for .model-delivery/demo/summary.md. In --json mode it speaks on stderr, so stdout
// carries only the final object.

export interface StepRecord {
  chapter: string;
  title: string;
  seconds: number;
  ok: boolean;
  note: string;
}

export class Narrator {
  readonly steps: StepRecord[] = [];
  readonly transcript: string[] = [];
  private chapter = 'prepare';

  constructor(private readonly out: NodeJS.WritableStream) {}

  say(line = ''): void {
    this.transcript.push(line);
    this.out.write(`${line}\n`);
  }

  heading(title: string): void {
    this.chapter = title;
    this.say('');
    this.say(title);
  }

  detail(line: string): void {
    this.say(`      ${line}`);
  }

  /** Runs one step, then prints "✔ title  1.2 s  note" (✖ when it reports not ok). */
  async step<T>(
    title: string,
    run: () => Promise<T>,
    describe: (value: T) => { ok: boolean; note: string },
  ): Promise<T> {
    const started = Date.now();
    const value = await run();
    const seconds = (Date.now() - started) / 1000;
    const { ok, note } = describe(value);
    this.steps.push({ chapter: this.chapter, title, seconds, ok, note });
    this.say(
      `  ${ok ? '✔' : '✖'} ${title.padEnd(24)} ${formatSeconds(seconds).padStart(7)}  ${note}`,
    );
    return value;
  }
}

export function formatSeconds(s: number): string {
  return `${s.toFixed(1)} s`;
}
