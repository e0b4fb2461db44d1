"""Identity: the provider accounts linked to an account. The internal API auth calls
(get-or-create from an OAuth profile, logins, links, the providers' unlink notices) and the
owner's own list and unlink."""
