import { Injectable, Module, type Type } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { Notification } from './entities/notification.entity.js';
import {
  MessageKinds,
  OwnsMessages,
  type Loaded,
  type MessageKind,
  type ToLoad,
} from './message-kinds.js';
import { NOTIFICATION_KINDS, type NotificationKind } from './notifications.constants.js';

/** An owner of `kinds` that never sends anything (these tests are about start-up). */
function ownerOf(kinds: readonly string[]): Type<MessageKind> {
  @Injectable()
  @OwnsMessages()
  class Owner implements MessageKind {
    readonly kinds = kinds as readonly NotificationKind[];
    load(): Promise<Loaded> {
      return Promise.resolve({ stale: 'test' });
    }
  }
  return Owner;
}

/** Starts a Nest application holding MessageKinds and these owners, as the worker does. */
async function start(...owners: Type<MessageKind>[]) {
  @Module({ imports: [DiscoveryModule], providers: [MessageKinds, ...owners] })
  class Worker {}
  const app = await NestFactory.createApplicationContext(Worker, {
    logger: false,
    abortOnError: false,
  });
  await app.init();
  return app;
}

describe('message kinds are checked when the worker starts', () => {
  const invitations = ['invitation', 'invitation_reminder'];
  const statuses = NOTIFICATION_KINDS.filter((kind) => !invitations.includes(kind));

  it('starts when every kind has exactly one owner and a template', async () => {
    const app = await start(ownerOf(invitations), ownerOf(statuses));
    expect(app.get(MessageKinds).of('invitation_reminder').kinds).toEqual(invitations);
    await app.close();
  });

  it('refuses to start while a kind has no owner (nothing could send it)', async () => {
    await expect(start(ownerOf(statuses))).rejects.toThrow(
      'No module owns the message kind(s) invitation, invitation_reminder',
    );
  });

  it('refuses a kind owned twice, and a kind without a template', async () => {
    await expect(start(ownerOf(invitations), ownerOf(NOTIFICATION_KINDS))).rejects.toThrow(
      'has two owners',
    );
    await expect(
      start(ownerOf([...invitations, 'follow_up_due']), ownerOf(statuses)),
    ).rejects.toThrow('Message kind "follow_up_due" has no template');
  });
});

describe('reading a batch of messages', () => {
  const invitations = ['invitation', 'invitation_reminder'] as const;
  const statuses = NOTIFICATION_KINDS.filter(
    (kind) => !(invitations as readonly string[]).includes(kind),
  );
  const message = (id: string, kind: NotificationKind) => ({
    message: { id, kind } as Notification,
    addressing: {} as ToLoad['addressing'],
  });

  /** Invitations whose batch read fails, and whose message "bad" cannot be read at all. */
  @Injectable()
  @OwnsMessages()
  class FragileInvitations implements MessageKind {
    readonly kinds = invitations;
    loadMany(): Promise<Loaded[]> {
      return Promise.reject(new Error('batch read failed'));
    }
    load(_manager: EntityManager, { id }: Notification): Promise<Loaded> {
      if (id === 'bad') return Promise.reject(new Error('unreadable invitation'));
      return Promise.resolve({ stale: `read ${id} alone` });
    }
  }

  it('a kind whose batch read fails is asked per message; one unreadable message fails alone', async () => {
    const app = await start(FragileInvitations, ownerOf(statuses));
    const loaded = await app
      .get(MessageKinds)
      .loadAll({} as EntityManager, [
        message('a', 'invitation'),
        message('s', statuses[0]),
        message('bad', 'invitation_reminder'),
        message('b', 'invitation'),
      ]);
    expect(loaded[0]).toEqual({ stale: 'read a alone' });
    expect(loaded[1]).toEqual({ stale: 'test' });
    expect((loaded[2] as { failed: Error }).failed.message).toBe('unreadable invitation');
    expect(loaded[3]).toEqual({ stale: 'read b alone' });
    await app.close();
  });
});
