/**
 * The baseline of the cold start in bench/cold-start.ts: the smallest
 * NestJS application of the product's kind: NestFactory with the Fastify
 * adapter, TypeORM connected to the same database (pool of the same size)
 * with one small entity, and one controller whose GET /health/live answers
 * once everything is up. Compiled with bench/tsconfig.servers.json to
 * dist/bench/ and started as `node dist/bench/minimal-nest-app.js`, as the
 * product is started from dist/ (DATABASE_URL, DATABASE_POOL_SIZE, PORT
 * from the environment).
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { Column, Entity, PrimaryColumn, type Repository } from 'typeorm';

/** A row of the migrations table, which every database of the product has. */
@Entity('migrations')
class AppliedMigration {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar' })
  name: string;
}

@Controller()
class HealthController {
  constructor(
    @InjectRepository(AppliedMigration)
    private readonly migrations: Repository<AppliedMigration>,
  ) {}

  @Get('health/live')
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('migrations/count')
  async count(): Promise<{ count: number }> {
    return { count: await this.migrations.count() };
  }
}

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      entities: [AppliedMigration],
      synchronize: false,
      extra: { max: Number(process.env.DATABASE_POOL_SIZE ?? 10) },
    }),
    TypeOrmModule.forFeature([AppliedMigration]),
  ],
  controllers: [HealthController],
})
class MinimalModule {}

const app = await NestFactory.create<NestFastifyApplication>(MinimalModule, new FastifyAdapter(), {
  logger: ['error', 'warn'],
});
app.enableShutdownHooks();
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3000) });
