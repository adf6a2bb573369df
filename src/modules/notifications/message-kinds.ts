import { Injectable, SetMetadata, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { OutgoingMail } from '../../mail/mail-transport.js';
import type { Notification } from './entities/notification.entity.js';
import { NOTIFICATION_KINDS, type NotificationKind } from './notifications.constants.js';
import type { MessageContext } from './templates/message-context.js';
import { hasTemplate } from './templates/templates.js';

/** Who a message goes to and from which agency, read when it is sent. */
export type Addressing = Pick<MessageContext, 'locale' | 'agency' | 'recipient'>;

/** Why a message is no longer worth sending, or what to send (and files to attach). */
export type Loaded =
  { stale: string } | { context: MessageContext; attachments?: OutgoingMail['attachments'] };

/**
 * The messages of one kind (or a family of kinds), owned by the module
 * whose records they are about: how they are planned when nothing writes
 * them at the moment of a change (reminders), and what they say when sent.
 * Messages caused by a change are written by that module's change
 * subscriber through the Outbox.
 */
export interface MessageKind {
  readonly kinds: readonly NotificationKind[];
  /** Writes the messages that have come due (e.g. reminders); returns how many. */
  planDue?(): Promise<number>;
  /** What the message says now, or why it is no longer worth sending. */
  load(manager: EntityManager, message: Notification, addressing: Addressing): Promise<Loaded>;
  /**
   * The same for several messages of its kinds at once, in as many answers
   * and the same order; for kinds sent in bulk (a few statements for a whole
   * batch instead of some per message). Without it, `load` runs per message.
   */
  loadMany?(manager: EntityManager, messages: ToLoad[]): Promise<Loaded[]>;
}

/** A message its kind could not read, and why. */
export interface Unreadable {
  failed: unknown;
}

/** A claimed message and who it goes to, for its kind to load. */
export interface ToLoad {
  message: Notification;
  addressing: Addressing;
}

const MESSAGE_KIND = Symbol('MESSAGE_KIND');

/** Marks a provider as the owner of some kinds of message; the worker finds it at start-up. */
export const OwnsMessages = () => SetMetadata(MESSAGE_KIND, true);

/**
 * Every kind of message and its owner, found among the worker's providers
 * at start-up. A kind nobody owns, one owned twice, or one without a
 * template refuses to start the worker: nothing could send it.
 */
@Injectable()
export class MessageKinds implements OnApplicationBootstrap {
  private readonly owners = new Map<NotificationKind, MessageKind>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const owners = this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.metatype && this.reflector.get(MESSAGE_KIND, wrapper.metatype))
      .map((wrapper) => wrapper.instance as MessageKind);
    for (const owner of owners) {
      for (const kind of owner.kinds) {
        const known = this.owners.get(kind);
        if (known && known !== owner) throw new Error(`Message kind "${kind}" has two owners`);
        if (!hasTemplate(kind)) throw new Error(`Message kind "${kind}" has no template`);
        this.owners.set(kind, owner);
      }
    }
    const unowned = NOTIFICATION_KINDS.filter((kind) => !this.owners.has(kind));
    if (unowned.length > 0) {
      throw new Error(`No module owns the message kind(s) ${unowned.join(', ')}`);
    }
  }

  of(kind: NotificationKind): MessageKind {
    const owner = this.owners.get(kind);
    if (!owner) throw new Error(`No module owns the message kind "${kind}"`);
    return owner;
  }

  /**
   * What each message says now (or why it is stale), in the order given,
   * each kind asked once for its messages; a kind that fails for the batch
   * is asked per message, so one message that cannot be read fails alone
   * (`{ failed }`, with its error).
   */
  async loadAll(manager: EntityManager, messages: ToLoad[]): Promise<(Loaded | Unreadable)[]> {
    const loaded = new Array<Loaded | Unreadable>(messages.length);
    const byOwner = new Map<MessageKind | undefined, number[]>();
    messages.forEach(({ message }, index) => {
      const owner = this.owners.get(message.kind);
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), index]);
    });
    const one = (owner: MessageKind | undefined, { message, addressing }: ToLoad) =>
      owner
        ? owner.load(manager, message, addressing).catch((failed: unknown) => ({ failed }))
        : Promise.resolve({
            failed: new Error(`No module owns the message kind "${message.kind}"`),
          });
    await Promise.all(
      [...byOwner].map(async ([owner, indexes]) => {
        const mine = indexes.map((index) => messages[index]);
        const perMessage = () => Promise.all(mine.map((each) => one(owner, each)));
        const answers = owner?.loadMany
          ? await owner.loadMany(manager, mine).catch(perMessage)
          : await perMessage();
        indexes.forEach((index, position) => (loaded[index] = answers[position]));
      }),
    );
    return loaded;
  }

  /** Asks every owner that plans messages to write those that have come due; returns how many. */
  async planDue(): Promise<number> {
    let planned = 0;
    for (const owner of new Set(this.owners.values())) planned += (await owner.planDue?.()) ?? 0;
    return planned;
  }
}
