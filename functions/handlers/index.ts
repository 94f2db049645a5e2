import type { AppContext } from '../app';
import type { OperationsOf } from '../http/operations';
import type { RequestHandler } from '../http/pipeline';
import type { HandlerName } from '../http/routes';
import { auditOperations, makeAuditHandler } from './audit';
import { contentOperations, makeContentHandler } from './content';
import { crisisOperations, makeCrisisHandler } from './crisis';
import { editionOperations, makeEditionsHandler } from './editions';
import { healthOperations, makeHealthHandler } from './health';
import { layoutsOperations, makeLayoutsHandler } from './layouts';
import { makePostsHandler, postsOperations } from './posts';
import { makeReaderHandler, readerOperations } from './reader';
import { makeReportsHandler, reportsOperations } from './reports';
import { makeSesSnsHandler, sesSnsOperations } from './ses-sns';
import { makeSubscribeHandler, subscribeOperations } from './subscribe';
import { makeSubscribersAdminHandler, subscribersAdminOperations } from './subscribers-admin';
import { makeSubscribersImportHandler, subscribersImportOperations } from './subscribers-import';
import { makeSubscriptionsHandler, subscriptionsOperations } from './subscriptions';
import { makeUnsubscribeHandler, unsubscribeOperations } from './unsubscribe';

/** Handler factories by name: the local router builds each once; CDK has one Lambda per name. */
export const HTTP_HANDLERS: Record<HandlerName, (ctx: AppContext) => RequestHandler> = {
  health: makeHealthHandler,
  posts: makePostsHandler,
  subscriptions: makeSubscriptionsHandler,
  audit: makeAuditHandler,
  content: makeContentHandler,
  editions: makeEditionsHandler,
  unsubscribe: makeUnsubscribeHandler,
  reader: makeReaderHandler,
  crisis: makeCrisisHandler,
  layouts: makeLayoutsHandler,
  'subscribers-import': makeSubscribersImportHandler,
  'subscribers-admin': makeSubscribersAdminHandler,
  reports: makeReportsHandler,
  subscribe: makeSubscribeHandler,
  'ses-sns': makeSesSnsHandler,
};

/** Each handler's operations, for checks over the whole route table. */
export const HTTP_OPERATIONS: { readonly [H in HandlerName]: OperationsOf<H> } = {
  health: healthOperations,
  posts: postsOperations,
  subscriptions: subscriptionsOperations,
  audit: auditOperations,
  content: contentOperations,
  editions: editionOperations,
  unsubscribe: unsubscribeOperations,
  reader: readerOperations,
  crisis: crisisOperations,
  layouts: layoutsOperations,
  'subscribers-import': subscribersImportOperations,
  'subscribers-admin': subscribersAdminOperations,
  reports: reportsOperations,
  subscribe: subscribeOperations,
  'ses-sns': sesSnsOperations,
};
