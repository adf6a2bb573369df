ARG NODE_IMAGE=node:22-bookworm-slim

# ---- build: install all dependencies, compile, then drop dev dependencies ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY scripts/bundle.mjs ./scripts/
COPY src ./src
COPY migrations ./migrations
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: production dependencies + compiled output, non-root ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# Memory (issue 21; README "Benchmarks"). glibc: blocks over 128 KB (argon2's
# 19 MB per password hash) go back to the system when freed instead of staying
# in a per-thread arena, and two arenas at most. V8: a young generation of
# 4 MB semi-spaces (src/heap.ts has the old generation's setting). `npm run
# bench` runs the API with these same settings (it reads them from here).
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
ENV NODE_OPTIONS="--max-semi-space-size=4"
WORKDIR /app

# Code stays owned by root (read-only for the app); only var/ is writable,
# for .eml files written to MAIL_DIR (default ./var/mail) when SMTP_URL is unset.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p var/mail && chown -R node:node var

USER node
EXPOSE 3000
STOPSIGNAL SIGTERM

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"

# node runs directly as PID 1 (not via npm), so SIGTERM reaches the app's
# graceful-shutdown handler. The processes run from dist/bundle (scripts/bundle.mjs:
# a few files instead of ~2,400 modules, a faster start). Override with
# dist/bundle/worker.js or dist/bundle/standalone.js, or dist/src/cli.js for the CLI.
CMD ["node", "dist/bundle/api.js"]
