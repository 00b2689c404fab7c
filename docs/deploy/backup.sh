#!/bin/sh
# A consistent copy of a Postcard data folder while it serves: the database through SQLite's
# online backup (a commit in flight is either in the copy or not, never half), the packages as
# they are (written once, never changed). Keep copies elsewhere; test a restore now and then:
#   postcard records --data RESTORED >/dev/null
# Usage: backup.sh /var/lib/postcard /backups/postcard-$(date +%F)
set -eu
src=$1
dest=$2
mkdir -p "$dest/packages"
sqlite3 "$src/postcard.db" ".backup '$dest/postcard.db'"
sqlite3 "$dest/postcard.db" 'PRAGMA integrity_check' | grep -qx ok
cp -a "$src"/packages/*.zip "$dest/packages/" 2>/dev/null || true
echo "backed up $src to $dest"
