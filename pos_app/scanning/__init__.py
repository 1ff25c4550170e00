"""What a scanned code means, decided once for every scanner: barcode validation and GS1
parsing (`barcodes`), the store's variable-measure label rules (`barcode_rules`), and the
timing rule that tells a keyboard-wedge scan from typing (`wedge_detector`).

Pure core code: the wedge filter (ui/scanner_filter.py), serial scanners and the camera all
hand their codes here.
"""
