/**
 * The hover's answer in one line of plain text, for places with room for a sentence and no more (the tooltip
 * of an inlay hint). Derived from the same explanations and problems the hover shows, so that the two never
 * say different things: the line's most severe problem when it has one, else the first sentence of what the
 * entry's outcome fields mean.
 */

import { oneLine } from '../text';
import type { Problem, TlsEntry } from '../parse/types';
import type { Explanation } from './explanation';
import { explainAction, explainStatus } from './revocation';
import { explainErrorMessage } from './tlsError';

const SEVERITY_ORDER: Readonly<Record<Problem['severity'], number>> = { error: 0, warning: 1, information: 2 };

/** The problem a line is known by: the most severe, the first on the line among equals. */
export function leadingProblem(problems: readonly Problem[]): Problem | undefined {
  let best: Problem | undefined;
  for (const p of problems) {
    if (
      !best ||
      SEVERITY_ORDER[p.severity] < SEVERITY_ORDER[best.severity] ||
      (p.severity === best.severity && p.startColumn < best.startColumn)
    )
      best = p;
  }
  return best;
}

/**
 * The line's gist: `invalid-json: Expected a comma…` for a line with a problem, else what its outcome means,
 * e.g. for `REVOKED`/`DROP` "The certificate's issuer says … The firewall closed the connection …". Plain
 * text with invisible characters shown; undefined for a line with neither an entry nor a problem.
 */
export function lineGist(result: { readonly entry?: TlsEntry; readonly problems: readonly Problem[] } | undefined): string | undefined {
  if (!result) return undefined;
  const problem = leadingProblem(result.problems);
  if (problem) return `${problem.code}: ${oneLine(problem.message, 300)}`;
  return result.entry ? entryGist(result.entry) : undefined;
}

/** What an entry's outcome means, in the first sentence of each explanation of its outcome fields. */
export function entryGist(entry: TlsEntry): string {
  const explanations: Explanation[] =
    entry.kind === 'revocation'
      ? [explainStatus(entry, entry.status), explainAction(entry, entry.action)]
      : [explainErrorMessage(entry, entry.errorMessage)];
  return explanations
    .map(answerOf)
    .filter((s) => s !== '')
    .join(' ');
}

/**
 * An explanation's answer in one sentence: the first sentence of its first paragraph, or, where the hover
 * opens with a list rather than prose (a name mismatch opens with the certificate's names), its own
 * "Meaning" fact.
 */
function answerOf(e: Explanation): string {
  const sentence = firstSentence(e.sections[0]?.text ?? '');
  if (sentence !== '') return sentence;
  const meaning = e.facts.find((f) => f.label === 'Meaning' && !f.untrusted)?.value;
  return meaning === undefined ? '' : `${meaning.charAt(0).toUpperCase()}${meaning.slice(1)}.`;
}

/** The first sentence of our prose, its inline markdown (`code`, **bold**) taken out. */
function firstSentence(markdown: string): string {
  const plain = markdown.replace(/\*\*|`/g, '');
  const end = /[.!?](?=\s+[A-Z"(]|$)/.exec(plain);
  return (end ? plain.slice(0, end.index + 1) : plain).trim();
}
