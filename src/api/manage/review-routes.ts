/**
 * The routes signatures and templates share. Both are reviewed records owned by an application, and
 * their show, delete and reject routes differ only in path, wording and the store calls behind them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';

/** `:id` path parameter. */
export const IdParams = Type.Object({ id: Type.String() });

/** The `:id` of a request whose route declares {@link IdParams}. */
export function idOf(req: FastifyRequest): string {
  return (req.params as { id: string }).id;
}

/** One kind of reviewed record, as {@link showRoute}, {@link deleteRoute} and {@link rejectRoute} need it. */
export interface ReviewedKind<R extends { id: string }> {
  /** Collection path, e.g. `/signatures`. */
  path: string;
  /** Singular noun for summaries, e.g. `signature`. */
  noun: string;
  tags: string[];
  /** The record. @throws HttpError NOT_FOUND. */
  find(id: string): Promise<R>;
  remove(id: string): Promise<unknown>;
  /** Marks the record rejected; undefined when the store changed nothing (the found record is shown). */
  reject(id: string, reason: string): Promise<R | undefined>;
  view(record: R): unknown;
}

/** `GET <path>/:id`. */
export function showRoute<R extends { id: string }>(app: FastifyInstance, kind: ReviewedKind<R>): void {
  app.get(
    `${kind.path}/:id`,
    { schema: { tags: kind.tags, summary: `Show a ${kind.noun}`, params: IdParams } },
    async (req) => kind.view(await kind.find(idOf(req))),
  );
}

/** `DELETE <path>/:id` → 204. */
export function deleteRoute<R extends { id: string }>(app: FastifyInstance, kind: ReviewedKind<R>): void {
  app.delete(
    `${kind.path}/:id`,
    { schema: { tags: kind.tags, summary: `Delete a ${kind.noun}`, params: IdParams } },
    async (req, res) => {
      const found = await kind.find(idOf(req));
      await kind.remove(found.id);
      return res.code(204).send();
    },
  );
}

/** `POST <path>/:id/reject` with `{ reason }` (non-empty). */
export function rejectRoute<R extends { id: string }>(app: FastifyInstance, kind: ReviewedKind<R>): void {
  app.post(
    `${kind.path}/:id/reject`,
    {
      schema: {
        tags: kind.tags,
        summary: 'Reject with a reason',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 1 }) }),
      },
    },
    async (req) => {
      const found = await kind.find(idOf(req));
      return kind.view((await kind.reject(found.id, (req.body as { reason: string }).reason)) ?? found);
    },
  );
}
