"""Documents, workbooks, print aids and the email bundle, rendered from a Dossier."""
