import type { GraphResponse } from '../contract.js';
import { ok, requireScope, type Ctx } from './context.js';
import { GraphError } from './errors.js';
import { applySelect, parseSelect } from './odata.js';

// GET /me (user-get.md). Directory data needs User.Read (or a broader user/directory scope);
// without it Graph answers 403 Authorization_RequestDenied.

const USER_PROPERTIES = [
  'id',
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
];

export function getMe(ctx: Ctx): GraphResponse {
  requireScope(
    ctx,
    ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All'],
    () => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  );
  const u = ctx.user;
  const all = {
    businessPhones: [],
    displayName: u.user.displayName,
    givenName: u.givenName,
    jobTitle: null,
    mail: u.user.email,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    surname: u.surname,
    userPrincipalName: u.user.email,
    id: u.user.id,
  };
  const select = parseSelect(ctx.query.get('$select'), USER_PROPERTIES, 'user');
  const context = select ? `users(${select.join(',')})/$entity` : 'users/$entity';
  return ok(ctx, { '@odata.context': `${ctx.root}/$metadata#${context}`, ...applySelect(all, select) });
}
