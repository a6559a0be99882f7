/**
 * Text arriving in pieces, cut into numbered lines as it comes: only the unfinished last line is
 * held, so a file of any size passes through in the memory of one line. Lines end at "\n"; a
 * "\r" before it is dropped; a byte-order mark at the very start is dropped.
 */
export class LineSplitter {
  private rest = "";
  private next = 1;
  private started = false;

  /** The complete lines in `text` (with what was left over from before), numbered from 1. */
  push(text: string): { line: number; text: string }[] {
    let chunk = text;
    if (!this.started && chunk !== "") {
      this.started = true;
      chunk = chunk.replace(/^\uFEFF/, "");
    }
    const parts = (this.rest + chunk).split("\n");
    this.rest = parts.pop() ?? "";
    return parts.map((raw) => ({ line: this.next++, text: raw.replace(/\r$/, "") }));
  }

  /** The last line, when the text did not end with a newline. */
  end(): { line: number; text: string }[] {
    if (this.rest === "") return [];
    const last = { line: this.next++, text: this.rest.replace(/\r$/, "") };
    this.rest = "";
    return [last];
  }

  /** The number of the last line handed out (1 before any). */
  get lastLine(): number {
    return Math.max(1, this.next - 1);
  }
}
