/**
 * The items of one array in a large JSON object, each parsed on its own. At 10,000 repositories
 * `/configurations` answers 23 MB, and `JSON.parse` of the whole body built a tree of about 110 MB
 * (every default field of every repository) that lived until the last item was narrowed: that
 * tree was the peak of `fedctl plan`. Parsed one by one, each item's tree is garbage as
 * soon as it is narrowed, and the young generation collects it without copying it to old space.
 *
 * The scan only finds where each value ends (strings with their escapes, nesting); every item is
 * still checked by `JSON.parse` itself. Values outside the wanted array are skipped unchecked:
 * fedctl reads nothing from them. Anything the scan does not expect makes it give up (`undefined`),
 * and the caller parses the whole body as before, so a broken body gets the same error as ever.
 */

/** Thrown inside the scan; never escapes this module. */
class Unexpected extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  /** The next character that is not white space, without consuming it. */
  peek(): number {
    const { text } = this;
    while (this.pos < text.length && isSpace(text.charCodeAt(this.pos))) this.pos++;
    if (this.pos >= text.length) throw new Unexpected('end of text');
    return text.charCodeAt(this.pos);
  }

  expect(c: number): void {
    if (this.peek() !== c) throw new Unexpected(`expected ${String.fromCharCode(c)}`);
    this.pos++;
  }

  /** Moves past a string starting at `pos` (on its opening quote); returns its end. */
  skipString(): number {
    const { text } = this;
    let i = this.pos + 1;
    for (;;) {
      if (i >= text.length) throw new Unexpected('unterminated string');
      const c = text.charCodeAt(i);
      if (c === QUOTE) break;
      i += c === BACKSLASH ? 2 : 1;
    }
    this.pos = i + 1;
    return this.pos;
  }

  /** A member name: parsed by JSON.parse only when it has an escape. */
  key(): string {
    if (this.peek() !== QUOTE) throw new Unexpected('expected a member name');
    const start = this.pos;
    const end = this.skipString();
    const raw = this.text.slice(start + 1, end - 1);
    return raw.includes('\\') ? (JSON.parse(this.text.slice(start, end)) as string) : raw;
  }

  /** Moves past one value of any kind; returns where it started. */
  skipValue(): number {
    const first = this.peek();
    const start = this.pos;
    if (first === QUOTE) {
      this.skipString();
      return start;
    }
    if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
      // A number, true, false or null: up to the next delimiter (JSON.parse checks it if kept).
      const { text } = this;
      let i = start;
      while (i < text.length) {
        const c = text.charCodeAt(i);
        if (c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || isSpace(c)) break;
        i++;
      }
      if (i === start) throw new Unexpected('expected a value');
      this.pos = i;
      return start;
    }
    let depth = 0;
    const { text } = this;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === QUOTE) {
        this.skipString();
        continue;
      }
      this.pos++;
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
      else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        depth--;
        if (depth === 0) return start;
      }
    }
    throw new Unexpected('unterminated value');
  }

  /** The items of the array at `pos`, each mapped as soon as it is parsed. */
  items<T>(map: (item: unknown, index: number) => T): T[] {
    this.expect(OPEN_ARRAY);
    const out: T[] = [];
    if (this.peek() === CLOSE_ARRAY) {
      this.pos++;
      return out;
    }
    for (;;) {
      const start = this.skipValue();
      out.push(map(JSON.parse(this.text.slice(start, this.pos)), out.length));
      const c = this.peek();
      this.pos++;
      if (c === CLOSE_ARRAY) return out;
      if (c !== COMMA) throw new Unexpected('expected , or ]');
    }
  }
}

export type FieldItems<T> =
  { readonly found: true; readonly items: T[] } | { readonly found: false };

/**
 * The array at `field` of the top-level object in `text`, each item parsed and passed to `map`
 * (which may throw, e.g. a ShapeError: that propagates). `{found: false}` when the object has no
 * such member; `undefined` when the text is not an object the scan understands (including an
 * item that is not valid JSON): then the caller should parse the whole text instead.
 */
export function parseFieldItems<T>(
  text: string,
  field: string,
  map: (item: unknown, index: number) => T,
): FieldItems<T> | undefined {
  const scan = new Scanner(text);
  let result: FieldItems<T> = { found: false };
  try {
    scan.expect(OPEN_OBJECT);
    if (scan.peek() === CLOSE_OBJECT) scan.pos++;
    else {
      for (;;) {
        const name = scan.key();
        scan.expect(COLON);
        // A repeated name: JSON.parse keeps the last value, and so does this.
        if (name === field) result = { found: true, items: scan.items(map) };
        else scan.skipValue();
        const c = scan.peek();
        scan.pos++;
        if (c === CLOSE_OBJECT) break;
        if (c !== COMMA) throw new Unexpected('expected , or }');
      }
    }
    while (scan.pos < text.length && isSpace(text.charCodeAt(scan.pos))) scan.pos++;
    if (scan.pos !== text.length) throw new Unexpected('text after the object');
  } catch (error) {
    if (error instanceof Unexpected || error instanceof SyntaxError) return undefined;
    throw error;
  }
  return result;
}
