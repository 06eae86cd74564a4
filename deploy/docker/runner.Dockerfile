# The wasmsh runner: sessions (shell + python3 in Pyodide) in worker threads.
# Build from the repository's root:
#   docker build -f deploy/docker/runner.Dockerfile -t wasmsh-runner .
# Run it with a read-only root filesystem (it writes nothing; /tmp is a tmpfs
# for safety), as the non-root user the image sets (deploy/compose.yaml,
# the Helm chart).

# ---- build: the side module (Debian's emcc), the pinned wheels, Pyodide from npm
FROM node:20-bookworm AS build
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends emscripten node-acorn python3 python3-pip make \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY Makefile ./
COPY src ./src
COPY js ./js
RUN make -j2 pyodide
COPY deploy/docker/stage.sh ./deploy/docker/
RUN sh deploy/docker/stage.sh runner /app

# ---- run: Node and the staged files only
FROM node:20-bookworm-slim
ENV NODE_ENV=production WASMSH_PORT=8081
COPY --from=build --chown=root:root /app /app
WORKDIR /app
# the image's unprivileged user (uid 1000); nothing under /app is writable by it
USER 1000:1000
EXPOSE 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.WASMSH_PORT||8081)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "js/scale/runner/main.mjs"]
