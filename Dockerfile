# callboard in a container, for GitLab CI, Jenkins and any runner without the GitHub Action:
# the static musl binary on Alpine, with git for the history features (score's git.* facts,
# --changed-since, adoption history), running as a non-root user.
#
#   docker build -t callboard .
#   docker run --rm -v "$PWD:/repo" callboard catalog validate
#
# The release workflow builds and pushes it for linux/amd64 and linux/arm64.

FROM rust:1-alpine3.22 AS build
# A C compiler and musl headers for the vendored libgit2 and mimalloc. Packages are not pinned
# (DL3018): Alpine drops old versions from its mirrors, so a pin breaks the build within weeks;
# the base images' tags pin the release.
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
# Static by default on the musl target; --locked builds exactly Cargo.lock.
RUN cargo build --release --locked && strip target/release/callboard

FROM alpine:3.22
# hadolint ignore=DL3018
RUN apk add --no-cache git \
    && adduser -D -u 10001 -h /home/callboard callboard \
    # A mounted checkout belongs to another user: let git (and libgit2) read it anyway.
    && git config --system --add safe.directory '*'
COPY --from=build /src/target/release/callboard /usr/local/bin/callboard
USER 10001
WORKDIR /repo
ENTRYPOINT ["callboard"]
CMD ["--help"]
