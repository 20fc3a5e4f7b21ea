/** Entry point of the accounts module: other modules and the composition root import only this. */
export { accountsRoutes } from './accounts.routes.js';
export {
  type AccountsService,
  type AccountsSettings,
  createAccountsService,
} from './accounts.service.js';
