import type { AppContext } from '../app';
import type { RequestHandler } from '../http/pipeline';
import type { HandlerName } from '../http/routes';
import { makeAuditHandler } from './audit';
import { makeContentHandler } from './content';
import { makeCrisisHandler } from './crisis';
import { makeEditionsHandler } from './editions';
import { makeHealthHandler } from './health';
import { makeLayoutsHandler } from './layouts';
import { makePostsHandler } from './posts';
import { makeReaderHandler } from './reader';
import { makeSubscriptionsHandler } from './subscriptions';
import { makeUnsubscribeHandler } from './unsubscribe';

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
};
