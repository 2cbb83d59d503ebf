import { capText } from './field-table.js';

/** The folded search text of an item is cut here. */
export const MAX_SEARCH_CHARS = 30_000;

/** Case-insensitive matching that also folds non-ASCII letters (é/É, ß/SS) and composed forms. */
export const foldCase = (s: string) => s.normalize('NFKC').toLocaleLowerCase('und').replace(/ß/g, 'ss');

/**
 * What `search` matches against: the parts, one a line, case-folded and cut at MAX_SEARCH_CHARS.
 * The parts come in order of importance, so a cut drops the tail of the least important.
 */
export const searchText = (parts: string[]) => capText(foldCase(parts.join('\n')), MAX_SEARCH_CHARS);
