import type { LocationData, Person } from './store.js';
import type { Rng } from './ids.js';

// Sample vocabulary. Mixed case and non-ASCII letters (é, ü, ß, 日本) on purpose: search and
// mapping code must survive them.

export const PEOPLE: readonly Person[] = [
  { name: 'Adele Vance', address: 'adelev@contoso.com' },
  { name: 'Zoë Müller', address: 'zoe.mueller@fabrikam.com' },
  { name: 'José Álvarez', address: 'jose.alvarez@northwind.example' },
  { name: 'Jürgen Groß', address: 'juergen.gross@fabrikam.com' },
  { name: 'Renée Dubois', address: 'renee.dubois@contoso.com' },
  { name: '山田 太郎', address: 'taro.yamada@contoso.co.jp' },
  { name: 'Megan Bowen', address: 'MeganB@contoso.com' },
  { name: 'Lee Gu', address: 'leeg@contoso.com' },
  { name: 'Nestor Wilke', address: 'nestorw@northwind.example' },
  { name: 'Søren Østergaard', address: 'soren.ostergaard@fabrikam.com' },
  { name: 'Patti Fernandez', address: 'PattiF@contoso.com' },
  { name: 'Microsoft Planner', address: 'noreply@Planner.Office365.com' },
];

export const EVENT_SUBJECTS: readonly string[] = [
  'Quarterly business review',
  'Weekly 1:1',
  'Café planning session',
  'Übersicht: Straße project',
  'Résumé screening',
  '日本 office sync',
  'Budget FINAL sign-off',
  'Design critique',
  'Customer call – Fabrikam',
  'Sprint retro',
  'Lunch & learn',
  'Security training',
  'Board prep',
  'Interview loop',
  'Roadmap Review',
];

export const MAIL_SUBJECTS: readonly string[] = [
  'Holiday hours update',
  'Your invoice is ready',
  'RE: Café order for Friday',
  'Übersicht der Straße-Sanierung',
  'Résumé attached',
  '日本 trip itinerary',
  'URGENT: server maintenance',
  'Weekly newsletter',
  'Lunch?',
  'Re: Quarterly numbers',
  'Fwd: Contract draft',
  'Meeting notes – Design critique',
  'You have late tasks!',
  'Welcome to the team',
  'Action required: expense report',
  'Photos from the offsite',
];

const WORDS = (
  'the agenda covers budget timeline risks owners and next steps please review the attached notes before we meet ' +
  'café résumé über straße 日本 naïve coöperate deadline milestone customer feedback launch quality'
).split(' ');

export const LOCATIONS: readonly LocationData[] = [
  {
    displayName: 'Conf Room Rainier',
    street: '1 Microsoft Way',
    city: 'Redmond',
    state: 'WA',
    countryOrRegion: 'United States',
    postalCode: '98052',
    latitude: 47.6397,
    longitude: -122.1284,
  },
  {
    displayName: 'Café Zentral',
    street: 'Herrengasse 14',
    city: 'Wien',
    state: 'Wien',
    countryOrRegion: 'Austria',
    postalCode: '1010',
    latitude: 48.2104,
    longitude: 16.3656,
  },
  {
    displayName: 'Salle Étoile',
    street: '10 Rue de la Paix',
    city: 'Paris',
    state: 'Île-de-France',
    countryOrRegion: 'France',
    postalCode: '75002',
    latitude: 48.8686,
    longitude: 2.3318,
  },
  {
    displayName: '東京 Office 12F',
    street: '2-16-3 Konan',
    city: 'Minato-ku',
    state: 'Tokyo',
    countryOrRegion: 'Japan',
    postalCode: '108-0075',
    latitude: 35.6284,
    longitude: 139.7387,
  },
  {
    displayName: 'Chapel of Saint Ignatius',
    street: '900 Broadway',
    city: 'Seattle',
    state: 'WA',
    countryOrRegion: 'United States',
    postalCode: '98122',
    latitude: 47.6105,
    longitude: -122.321,
  },
];

export const TIME_ZONES: readonly string[] = [
  'Pacific Standard Time',
  'W. Europe Standard Time',
  'UTC',
  'Eastern Standard Time',
  'Tokyo Standard Time',
];

/** Plain text of roughly `bytes` UTF-8 bytes. */
export function paragraph(rng: Rng, bytes: number): string {
  const words: string[] = [];
  let size = 0;
  while (size < bytes) {
    const w = rng.pick(WORDS);
    words.push(w);
    size += Buffer.byteLength(w) + 1;
  }
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Outlook-style HTML document around the text. */
export function htmlBody(text: string): string {
  return `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n<p>${escapeHtml(text)}</p>\r\n</body>\r\n</html>\r\n`;
}

/** Plain text of an HTML body (for previews and search). */
export function htmlToText(html: string): string {
  return html
    .replace(/<head>[\s\S]*?<\/head>/i, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Graph's bodyPreview: the first 255 characters of the body's text. */
export const previewOf = (html: string): string => htmlToText(html).slice(0, 255);
