"""The frozen build's entry script: PyInstaller needs a plain script, not a package's ``__main__``."""

import multiprocessing

from spasmcoach.__main__ import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    main()
