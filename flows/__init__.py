"""The Prefect flows: the monthly refresh (`monthly_refresh`), its deployment, and several areas at once (`areas`).

Here, with nothing imported, what the command line checks before Prefect is imported (Prefect reads
its settings, the API URL among them, once, when imported)."""

LOCAL = "local"   # --dask-address local: a Dask cluster on this machine for the run
