"""Operations on the database as a whole: consistent backups and integrity checks."""
