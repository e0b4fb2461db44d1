"""Identity: the internal API auth calls (get-or-create from an OAuth profile, logins)."""
