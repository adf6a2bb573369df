import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RefreshToken } from './entities/refresh-token.entity.js';
import { Session } from './entities/session.entity.js';

@Injectable()
export class SessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Deletes refresh tokens a day after they expired (until then a reuse is
   * still recognised as one), and their sessions with the last of them. Both
   * deletes use indexes (expires_at, then primary and session_id keys), never
   * a scan of all sessions.
   */
  purgeExpired(): Promise<{ refreshTokens: number; sessions: number }> {
    return this.dataSource.transaction(async (manager) => {
      const tokens = await manager
        .createQueryBuilder()
        .delete()
        .from(RefreshToken)
        .where(`expires_at < now() - interval '1 day'`)
        .returning('session_id')
        .execute();
      const sessionIds = [
        ...new Set((tokens.raw as { session_id: string }[]).map((r) => r.session_id)),
      ];
      const sessions = sessionIds.length
        ? await manager
            .createQueryBuilder()
            .delete()
            .from(Session)
            .where('id = ANY(:sessionIds)', { sessionIds })
            .andWhere(
              'NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.session_id = sessions.id)',
            )
            .execute()
        : { affected: 0 };
      return { refreshTokens: tokens.affected ?? 0, sessions: sessions.affected ?? 0 };
    });
  }
}
