import type { AppContext } from '../app';
import type { ApiHandler } from '../http/api';
import type { HandlerName } from '../http/routes';
import { makeHealthHandler } from './health';
import { makePostsHandler } from './posts';

/** Handler factories by name: the local router builds each once; CDK has one Lambda per name. */
export const HTTP_HANDLERS: Record<HandlerName, (ctx: AppContext) => ApiHandler> = {
  health: makeHealthHandler,
  posts: makePostsHandler,
};
