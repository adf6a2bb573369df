import { timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board (the queues, their jobs, retry and clean-up) at
 * `/admin/queues`, behind HTTP basic auth with `user:password` from
 * QUEUE_DASHBOARD_CREDENTIALS. Registered in its own Fastify scope, so the
 * check guards the dashboard's pages and API and nothing else.
 */
export async function registerQueueDashboard(
  fastify: FastifyInstance,
  queues: Queue[],
  credentials: string,
): Promise<void> {
  const board = new FastifyAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Delegation Desk queues' } },
  });
  const expected = Buffer.from(`Basic ${Buffer.from(credentials).toString('base64')}`);
  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      const given = Buffer.from(request.headers.authorization ?? '');
      if (given.length === expected.length && timingSafeEqual(given, expected)) return;
      await reply
        .code(401)
        .header('WWW-Authenticate', 'Basic realm="Delegation Desk queues", charset="UTF-8"')
        .type('text/plain; charset=utf-8')
        .send('Sign in with the queue dashboard credentials.');
    });
    await scope.register(board.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
