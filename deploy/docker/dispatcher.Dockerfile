# The wasmsh dispatcher: the authenticated HTTP front of the runner pool.
# Build from the repository's root:
#   docker build -f deploy/docker/dispatcher.Dockerfile -t wasmsh-dispatcher .
# It has no dependencies beyond Node; run it read-only and non-root.

# ---- stage the dispatcher's modules
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json ./
COPY js ./js
COPY deploy/docker/stage.sh ./deploy/docker/
RUN sh deploy/docker/stage.sh dispatcher /app

# ---- run
FROM node:20-bookworm-slim
ENV NODE_ENV=production WASMSH_PORT=8080
COPY --from=build --chown=root:root /app /app
WORKDIR /app
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.WASMSH_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "js/scale/dispatcher/main.mjs"]
