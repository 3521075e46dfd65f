"""miner: find the campaign slogans in Chinese political speeches."""

__version__ = "0.1.0"
