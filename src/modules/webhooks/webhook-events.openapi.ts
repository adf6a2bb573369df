import type { OpenAPIObject } from '@nestjs/swagger';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhooks.constants.js';

/** The resource each event names. */
export const EVENT_RESOURCES: Record<WebhookEventType, string> = {
  'trip.status_changed': 'trip',
  'participant.registered': 'participant',
  'participant.status_changed': 'participant',
  'participant.updated': 'participant',
  'invitation.accepted': 'invitation',
  'invitation.declined': 'invitation',
  'meeting.created': 'meeting',
  'meeting.updated': 'meeting',
  'meeting.cancelled': 'meeting',
  'agreement.status_changed': 'agreement',
  'follow_up.due': 'follow_up',
  'notification.failed': 'notification',
  'webhook.test': 'webhook_endpoint',
};

/** `participant.registered` → `ParticipantRegisteredEvent`. */
const schemaName = (type: string) =>
  `${type.replace(/(^|[._])([a-z])/g, (_, __, letter: string) => letter.toUpperCase())}Event`;

/**
 * The event catalogue in the contract: a JSON schema per event type (the
 * body a receiver gets), and `x-webhooks` naming each (OpenAPI 3.0 has no
 * `webhooks` object yet; 3.1 tools read the same shape there).
 */
export function addWebhookEvents(document: OpenAPIObject): void {
  const schemas = (document.components ??= {}).schemas ?? (document.components.schemas = {});
  const webhooks: Record<string, unknown> = {};
  for (const type of WEBHOOK_EVENT_TYPES) {
    const name = schemaName(type);
    schemas[name] = {
      type: 'object',
      description: `The body of a \`${type}\` delivery. Thin by design: the resource's id and URL and the names of the fields that changed, never their values; read the resource for them.`,
      required: ['id', 'type', 'timestamp', 'tenantId', 'data'],
      properties: {
        id: {
          type: 'string',
          format: 'uuid',
          description: 'The event (the same for every endpoint that gets it).',
        },
        type: { type: 'string', enum: [type] },
        timestamp: { type: 'string', format: 'date-time', description: 'When it happened.' },
        tenantId: { type: 'string', format: 'uuid' },
        data: {
          type: 'object',
          required: ['resource', 'sequence', 'changedFields'],
          properties: {
            resource: {
              type: 'object',
              required: ['type', 'id', 'url'],
              properties: {
                type: { type: 'string', enum: [EVENT_RESOURCES[type]] },
                id: { type: 'string', format: 'uuid' },
                url: {
                  type: 'string',
                  nullable: true,
                  description: 'The resource in this API (path).',
                },
              },
            },
            tripId: {
              type: 'string',
              format: 'uuid',
              nullable: true,
              description: 'The trip it belongs to, if any.',
            },
            sequence: {
              type: 'integer',
              description: 'Increases with every event: order the events of a resource by it.',
            },
            changedFields: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    };
    webhooks[type] = {
      post: {
        operationId: `on${name}`,
        tags: ['webhooks'],
        summary: type,
        description:
          'Sent with the headers `webhook-id` (the delivery: the same on every retry), `webhook-timestamp` (seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`, one per secret during a rotation). Answer 2xx within 10 s.',
        requestBody: {
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
        },
        responses: { '200': { description: 'Received (any 2xx).' } },
      },
    };
  }
  (document as OpenAPIObject & { 'x-webhooks'?: unknown })['x-webhooks'] = webhooks;
}
