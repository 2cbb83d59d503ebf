import { z } from 'zod';
import { api, capText, fitList, json, since } from './field-table.js';

/** Outlook limits a category name to 255 characters; longer ones are cut here. */
export const CATEGORY_CAP = 255;
/** The categories' JSON text is cut here, whole names at a time (Outlook items rarely carry more than a few). */
export const MAX_CATEGORIES_JSON_CHARS = 4_000;

/** An item's Outlook categories (names), as Graph lists them; rows stored before the field read as none. */
export const categoriesField = () =>
  since(
    json(
      z.array(z.string()),
      MAX_CATEGORIES_JSON_CHARS,
      (names) =>
        fitList(
          names.map((n) => capText(n, CATEGORY_CAP)),
          MAX_CATEGORIES_JSON_CHARS,
        ),
      api('categories', z.array(z.string()).meta({ description: "The item's Outlook category names." })),
    ),
    [] as string[],
  );
