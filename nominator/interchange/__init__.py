"""What comes from outside and goes back out as data: the exchange file (exchange.py), the Excel
import template and its intake (template.py, intake.py), photos by folder (photos.py), merging the
exchange files of subordinate units (merge.py) and the sample dossier (demo.py).

All of it works on `Dossier`s and reads untrusted input through `nominator.gate`; what it stores,
it stores through a `Writer` (one transaction of the store) handed in by the caller, after the
backup its policy asks for. Persistence itself is `nominator.store`.
"""
