/**
 * Attribute paths as Nix's `-A` reads them: names separated by dots, where a name
 * may be quoted to hold dots itself (`python3Packages."zope.interface"`).
 */
import { LaminaError } from '../../../src-shared/errors.js';

export function splitAttrPath(attr: string): string[] {
  const names: string[] = [];
  let current = '';
  let quoted = false;
  let wasQuoted = false;
  for (const char of attr) {
    if (char === '"') {
      quoted = !quoted;
      wasQuoted = true;
    } else if (char === '.' && !quoted) {
      names.push(checkedName(current, wasQuoted, attr));
      current = '';
      wasQuoted = false;
    } else {
      current += char;
    }
  }
  if (quoted) throw badAttr(attr, 'a quote is not closed');
  names.push(checkedName(current, wasQuoted, attr));
  return names;
}

/** The installable for `attr` of a flake: appended to the reference's own fragment, if it has one. */
export function flakeInstallable(ref: string, attr: string): string {
  const hash = ref.indexOf('#');
  if (hash === -1) return `${ref}#${attr}`;
  const fragment = ref.slice(hash + 1);
  return fragment === '' ? `${ref}${attr}` : `${ref}.${attr}`;
}

function checkedName(name: string, wasQuoted: boolean, attr: string): string {
  if (name === '' && !wasQuoted) throw badAttr(attr, 'it has an empty name between dots');
  return name;
}

function badAttr(attr: string, why: string): LaminaError {
  return new LaminaError(`Attribute path ${JSON.stringify(attr)} is not valid: ${why}`, 'bad-attribute');
}
