/** CSV for the reports: one rule for how an untrusted value becomes a field. */

/**
 * One CSV field (RFC 4180) for an untrusted value. A value that a spreadsheet could read as a formula (it
 * starts with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, except the exact value `-`: a lone minus
 * sign cannot carry a formula, and it is how the logs spell "no SNI", so it stays as logged and the CSV
 * agrees with the JSON report and the files. Then the field is quoted when it holds `,`, `"`, CR or LF.
 */
export function csvField(value: string): string {
  const safe = value !== '-' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
