/** Moved to `as2/mdn.ts`; kept for code that still imports it from here. */
export { parseMdn } from '../as2/mdn';
