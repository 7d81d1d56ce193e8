# Replaces the contributed hook (which collects every submodule): the same, minus the
# geocoder and carrier tables the app never uses (see bundle_contents.EXCLUDED_MODULES).
from bundle_contents import EXCLUDED_MODULES
from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules(
    "phonenumbers",
    filter=lambda name: (
        not any(
            name == excluded or name.startswith(excluded + ".") for excluded in EXCLUDED_MODULES
        )
    ),
)
