#!/bin/bash
# The replica's entrypoint: on first start, copy the primary (pg_basebackup -R writes standby.signal and the
# connection settings), then run as a hot standby. Later starts resume streaming from where it stopped.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h primary -U replicator; do sleep 1; done
  pg_basebackup -h primary -U replicator -D "$PGDATA" -R -X stream -S replica1 -P
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c shared_buffers=2GB -c effective_cache_size=6GB -c max_connections=300
