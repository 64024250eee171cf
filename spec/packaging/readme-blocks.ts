/**
 * The TypeScript blocks of README.md, as readme-snippets.spec.ts compiles them (the convention is in the README's
 * "The README's code" section): a ```ts block is a complete file; a first line `// file: <path>` says where it
 * goes; ```ts fragment blocks are not compiled. Also maps a compiler's diagnostics back to README lines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../vendor/index.js';

/** The project a block is compiled in: chosen by the framework it imports. */
export type BlockKind = 'node' | 'nestjs' | 'angular';

/** One ```ts block of the README. */
export interface ReadmeBlock {
  /** The README line of the block's first line of code (1-based). */
  readonly line: number;
  /** The `## ` section it is under, e.g. `Quick start`. */
  readonly section: string;
  /** Where it is written in its project: the `// file:` path, else `readme/line-<line>.ts` (under `src/` for a framework's). */
  readonly path: string;
  /** Whether the path came from a `// file:` line. */
  readonly named: boolean;
  readonly kind: BlockKind;
  /** The code, ending with a newline. */
  readonly text: string;
}

/** What the README holds: the blocks to compile, and the README lines of the ```ts fragment blocks. */
export interface ReadmeCode {
  readonly blocks: readonly ReadmeBlock[];
  readonly fragments: readonly number[];
}

export const README = join(REPO_ROOT, 'README.md');

const FILE_LINE = /^\/\/ file: (\S+)\s*$/;

/** Parses README.md (or `markdown`): every ```ts block, classified. */
export function readmeCode(markdown = readFileSync(README, 'utf8')): ReadmeCode {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  const fragments: number[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('## ')) section = line.slice(3).trim();
    const fence = /^```(\S*)(.*)$/.exec(line);
    if (fence === null) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end < 0) throw new Error(`README.md:${i + 1}: a code block that never closes`);
    const info = `${fence[1]}${fence[2]}`.trim();
    if (fence[1] === 'ts' || fence[1] === 'typescript') {
      if (/\bfragment\b/.test(info)) fragments.push(i + 1);
      else {
        const text = `${lines.slice(i + 1, end).join('\n')}\n`;
        const named = FILE_LINE.exec(lines[i + 1] ?? '');
        const kind = kindOf(text);
        // Unnamed framework blocks go under src/, where the generated app's tsconfig compiles.
        const path = named ? named[1]! : `${kind === 'node' ? '' : 'src/'}readme/line-${i + 2}.ts`;
        blocks.push({ line: i + 2, section, path, named: named !== null, kind, text });
      }
    }
    i = end;
  }
  return { blocks, fragments };
}

function kindOf(text: string): BlockKind {
  if (/from '@angular\//.test(text)) return 'angular';
  if (/from '@nestjs\//.test(text)) return 'nestjs';
  return 'node';
}

/**
 * tsc's (or ngc's) output, `--pretty false`, as one line per diagnostic with the README line it comes from:
 * `README.md:131 (src/app.module.ts:6:3, the block at README.md:126): error TS2304: Cannot find name 'Module'.`
 * Diagnostics in other files (the stand-in's own, a declaration file) and lines that are no diagnostic are kept
 * as they are, so nothing the compiler said is lost.
 */
export function readmeDiagnostics(output: string, blocks: readonly ReadmeBlock[]): string[] {
  const out: string[] = [];
  // eslint-disable-next-line no-control-regex -- colours, should a compiler print them anyway
  for (const raw of output.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
    const line = raw.trimEnd();
    if (line === '') continue;
    // `file(line,col): error TS1: ...` (--pretty false), or `file:line:col - error TS1: ...` (pretty)
    const match = /^(.+?)\((\d+),(\d+)\): (error|warning) (.*)$/.exec(line) ?? /^(\S+?):(\d+):(\d+) - (error|warning) (.*)$/.exec(line);
    const block = match ? blocks.find((b) => normalize(b.path) === normalize(match[1]!)) : undefined;
    // A pretty diagnostic's code frame (`9   the line`, then `   ~~~~`): the README line already says where.
    if (/^\d+ {2,}|^\s+~+$/.test(line) && out.length > 0) continue;
    if (match && block) {
      out.push(`README.md:${block.line + Number(match[2]) - 1} (${block.path}:${match[2]}:${match[3]}, the block at README.md:${block.line}): ${match[4]} ${match[5]}`);
    } else if (out.length > 0 && /^\s/.test(raw)) {
      out[out.length - 1] += `\n${line}`; // a continuation of the message above (tsc indents them)
    } else {
      out.push(line);
    }
  }
  return out;
}

function normalize(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '');
}
