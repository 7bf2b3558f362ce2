/**
 * Tokenizer throughput of the extension's TextMate grammar against VS Code's JSON grammar, on the same
 * generated TLS log, through vscode-textmate and vscode-oniguruma as the editor runs them.
 *
 *   node out/bench/grammar.js [--size 6MB] [--rounds 5] [--seed 42] [--malformed 0]
 *
 * The two grammars take turns (the order flips every round) so that warm-up and machine noise fall on
 * both; the figure to compare is the median.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { generateLogText, parseSize } from './generate';

const ROOT = join(__dirname, '..', '..');
const MB = 1024 * 1024;

/** Where each grammar under test lives, by scope name. */
const GRAMMAR_FILES: Record<string, string> = {
  'source.nfw-tls-log': join(ROOT, 'syntaxes', 'nfw-tls-log.tmLanguage.json'),
  'source.json': join(ROOT, 'node_modules', 'tm-grammars', 'grammars', 'json.json'),
};

/**
 * A few token colours of the Dark Modern theme. The editor always tokenizes under a theme, and binary
 * tokens that end up with the same colours are merged, so a theme makes the work realistic.
 */
const THEME: textmate.IRawTheme = {
  name: 'Dark Modern (token colours used by these grammars)',
  settings: [
    { settings: { foreground: '#CCCCCC', background: '#1F1F1F' } },
    { scope: 'string', settings: { foreground: '#CE9178' } },
    { scope: 'string.regexp', settings: { foreground: '#D16969' } },
    { scope: 'constant.numeric', settings: { foreground: '#B5CEA8' } },
    { scope: 'constant.language', settings: { foreground: '#569CD6' } },
    { scope: 'support.type', settings: { foreground: '#4EC9B0' } },
    { scope: 'support.type.property-name', settings: { foreground: '#9CDCFE' } },
    { scope: 'entity.name.type', settings: { foreground: '#4EC9B0' } },
    { scope: 'keyword', settings: { foreground: '#569CD6' } },
    { scope: 'keyword.control', settings: { foreground: '#C586C0' } },
    { scope: 'markup.bold', settings: { fontStyle: 'bold' } },
    { scope: 'markup.italic', settings: { fontStyle: 'italic' } },
    { scope: 'markup.inserted', settings: { foreground: '#B5CEA8' } },
    { scope: 'invalid', settings: { foreground: '#F44747' } },
  ],
};

async function createRegistry(): Promise<textmate.Registry> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      const file = GRAMMAR_FILES[scopeName];
      return file ? textmate.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
  });
  registry.setTheme(THEME);
  return registry;
}

/** Tokenizes every line the way the editor does: binary tokens, the state of each line fed to the next. */
function tokenizeAll(grammar: textmate.IGrammar, lines: string[]): number {
  let state = textmate.INITIAL;
  let tokens = 0;
  for (const line of lines) {
    const result = grammar.tokenizeLine2(line, state);
    tokens += result.tokens.length / 2;
    state = result.ruleStack;
  }
  return tokens;
}

export interface GrammarBenchmarkOptions {
  /** Size of the generated log. Default 6 MB. */
  bytes?: number;
  rounds?: number;
  seed?: number;
  /**
   * Fraction of broken lines. Default 0: the JSON grammar carries state from line to line, so after an
   * unterminated string or object it tokenizes everything that follows in the wrong state, which
   * measures something else.
   */
  malformed?: number;
}

export interface GrammarRate {
  scopeName: string;
  /** MB/s (1 MB = 2^20 bytes) by wall-clock time, of each round in the order run. */
  rates: number[];
  median: number;
  /** MB/s by this process's CPU time: steadier than wall-clock time on a busy machine. */
  cpuRates: number[];
  cpuMedian: number;
  tokensPerLine: number;
}

export interface GrammarBenchmarkResult {
  bytes: number;
  lines: number;
  ours: GrammarRate;
  json: GrammarRate;
  /** Median of ours / median of JSON, by wall-clock time. */
  ratio: number;
  /** The same by CPU time. */
  cpuRatio: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs both grammars over the same generated log, alternately, and returns the rates. */
export async function runGrammarBenchmark(
  options: GrammarBenchmarkOptions = {},
  log: (line: string) => void = () => {},
): Promise<GrammarBenchmarkResult> {
  const bytes = options.bytes ?? 6 * MB;
  const rounds = options.rounds ?? 5;
  const text = generateLogText(bytes, { seed: options.seed ?? 42, malformed: options.malformed ?? 0 });
  const lines = text.split('\n');
  lines.pop();
  const size = Buffer.byteLength(text);

  const registry = await createRegistry();
  const grammars: Record<string, textmate.IGrammar> = {};
  for (const scopeName of Object.keys(GRAMMAR_FILES)) {
    const grammar = await registry.loadGrammar(scopeName);
    if (!grammar) throw new Error(`Could not load ${scopeName} from ${GRAMMAR_FILES[scopeName]}`);
    grammars[scopeName] = grammar;
  }

  const rates: Record<string, number[]> = { 'source.nfw-tls-log': [], 'source.json': [] };
  const cpuRates: Record<string, number[]> = { 'source.nfw-tls-log': [], 'source.json': [] };
  const tokens: Record<string, number> = {};
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['source.nfw-tls-log', 'source.json'] : ['source.json', 'source.nfw-tls-log'];
    for (const scopeName of order) {
      const cpuStarted = process.cpuUsage();
      const started = performance.now();
      tokens[scopeName] = tokenizeAll(grammars[scopeName], lines);
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuStarted);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      rates[scopeName].push(size / MB / seconds);
      cpuRates[scopeName].push(size / MB / cpuSeconds);
      log(
        `round ${round + 1}/${rounds}  ${scopeName.padEnd(18)} ${(size / MB / seconds).toFixed(2).padStart(7)} MB/s  (${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU)`,
      );
    }
  }

  const summarise = (scopeName: string): GrammarRate => ({
    scopeName,
    rates: rates[scopeName],
    median: median(rates[scopeName]),
    cpuRates: cpuRates[scopeName],
    cpuMedian: median(cpuRates[scopeName]),
    tokensPerLine: tokens[scopeName] / lines.length,
  });
  const ours = summarise('source.nfw-tls-log');
  const json = summarise('source.json');
  return { bytes: size, lines: lines.length, ours, json, ratio: ours.median / json.median, cpuRatio: ours.cpuMedian / json.cpuMedian };
}

async function main(argv: string[]): Promise<void> {
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const size = flag('--size');
  const options: GrammarBenchmarkOptions = {
    bytes: size ? parseSize(size) : undefined,
    rounds: flag('--rounds') ? Number(flag('--rounds')) : undefined,
    seed: flag('--seed') ? Number(flag('--seed')) : undefined,
    malformed: flag('--malformed') ? Number(flag('--malformed')) : undefined,
  };
  const result = await runGrammarBenchmark(options, (line) => console.log(line));
  console.log('');
  console.log(`log: ${(result.bytes / MB).toFixed(1)} MB, ${result.lines} lines (node ${process.version})`);
  for (const r of [result.ours, result.json]) {
    console.log(
      `${r.scopeName.padEnd(18)} median ${r.median.toFixed(2).padStart(7)} MB/s wall, ${r.cpuMedian.toFixed(2).padStart(7)} MB/s CPU  ` +
        `rounds ${r.rates.map((x) => x.toFixed(2)).join(' ')}  ${r.tokensPerLine.toFixed(1)} tokens/line`,
    );
  }
  console.log(
    `ratio: source.nfw-tls-log is ${result.ratio.toFixed(1)}x the speed of source.json (${result.cpuRatio.toFixed(1)}x by CPU time)`,
  );
}

// Other benchmark scripts may bundle this module; only run when this file is the script.
if (require.main === module && basename(__filename, '.js') === 'grammar') {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
}
