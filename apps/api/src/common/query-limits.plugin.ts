import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { ApiSettings } from '../config/api-settings.js';
import { measureQuery } from './query-limits.js';

/**
 * Refuses, before anything is resolved, an operation nested deeper than DARWIN_API_MAX_QUERY_DEPTH
 * or estimated to resolve more than DARWIN_API_MAX_QUERY_COST fields (see query-limits.ts):
 * VALIDATION with the limit and the figures, HTTP 400.
 */
export function queryLimitsPlugin(settings: Pick<ApiSettings, 'maxQueryDepth' | 'maxQueryCost'>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const { depth, cost } = measureQuery(document, request.operationName, request.variables ?? {});
          const refuse = (limit: string, max: number, actual: number) =>
            new GraphQLError(`Query too ${limit === 'maxQueryDepth' ? 'deep' : 'expensive'}: ${actual} where at most ${max} is allowed`, {
              extensions: { code: 'VALIDATION', limit, max, actual, http: { status: 400 } },
            });
          if (depth > settings.maxQueryDepth) throw refuse('maxQueryDepth', settings.maxQueryDepth, depth);
          if (cost > settings.maxQueryCost) throw refuse('maxQueryCost', settings.maxQueryCost, cost);
        },
      };
    },
  };
}
