"""Writes on users and organisations (through services, audited). The unused organisation_create / user_create
of the first version were removed: the demo loader and the admin write users their own way until the user
services of issue 11 land here."""
